/** The page's browser script, bundled by scripts/package.mjs from src/page/browser/main.ts. */
declare module 'page-script:bundle' {
  const script: string;
  export default script;
}
