/** Types of scripts/bundle-tui.mjs for the test global setup. */
export declare function bundleTui(opts?: { root?: string; quiet?: boolean }): Promise<{ outdir: string; inputs: string[] } | undefined>;
