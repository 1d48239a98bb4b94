/**
 * Types of the generated JSON the app imports. tsconfig keeps resolveJsonModule off (no JSON is
 * imported by accident); Vite and vitest load JSON modules themselves.
 */
declare module "*/generated/notices.json" {
  const notices: import("./lib/notices").NoticesFile;
  export default notices;
}
