/** The UI's embedded files, resolved by build.ts when compiling; absent when run from source. */
declare module "taartenfabriek:ui-bundle" {
  export const files: Record<string, string>;
}
