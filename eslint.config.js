import js from "@eslint/js";
import { createNodeResolver, importX } from "eslint-plugin-import-x";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist/", "node_modules/", "coverage/", "playground/dist/", "docs/api/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      // A schedule class merges with an interface of the same name to add its call signature.
      "@typescript-eslint/no-unsafe-declaration-merging": "off",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
      "no-restricted-syntax": ["error", { selector: "CallExpression[callee.name='eval']", message: "never eval" }],
    },
  },
  {
    // No import cycles: a module evaluated while a module it imports is still being evaluated sees that module's
    // classes and constants uninitialized. Imports of types only (`import type`) are erased, so they are not followed.
    files: ["**/*.ts"],
    plugins: { "import-x": importX },
    settings: {
      // The modules a file imports are parsed to follow their own imports: TypeScript, by TypeScript's parser.
      "import-x/parsers": { "@typescript-eslint/parser": [".ts"] },
      "import-x/extensions": [".ts", ".js"],
      // The sources import `./x.js` for `./x.ts`, as TypeScript's NodeNext resolution has them write.
      "import-x/resolver-next": [createNodeResolver({ extensions: [".ts", ".js"], extensionAlias: { ".js": [".ts", ".js"] } })],
    },
    rules: { "import-x/no-cycle": ["error", { ignoreExternal: true }] },
  },
);
