// ESLint as the anchors use it (actions/checkout, the typescript-action template): typescript-eslint's recommended
// rules on the sources, tests, emulator and scripts; formatting is Prettier's (npm run format:check), not ESLint's.
import js from '@eslint/js'
import prettier from 'eslint-config-prettier'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  { ignores: ['dist/', 'build/', 'node_modules/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module', globals: { process: 'readonly', Buffer: 'readonly', console: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      'no-control-regex': 'off',
      // An error here is one line for a person (errorMessage); its cause is logged where it matters, not chained.
      'preserve-caught-error': 'off',
      // Prettier wraps code at 140; long messages and expected texts stay whole strings.
      'max-len': ['error', { code: 140, ignoreStrings: true, ignoreTemplateLiterals: true, ignoreRegExpLiterals: true, ignoreUrls: true }]
    }
  }
)
