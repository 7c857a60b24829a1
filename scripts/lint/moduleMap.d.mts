// Types for moduleMap.mjs (plain JS because eslint.config.js loads it), for the tests that read the map.
export interface ModuleEntry {
  imports: string[] | '*';
  what: string;
}
export declare const mainModuleMap: Record<string, ModuleEntry>;
export declare function moduleOf(relToMain: string): string;
export declare function moduleMapViolation(map: Record<string, ModuleEntry>, from: string, to: string): string | null;
export declare function moduleMapMarkdown(map?: Record<string, ModuleEntry>): string;
export declare const moduleMapPlugin: { rules: Record<string, unknown> };
