/** Types of scripts/build-cli.mjs for the TypeScript tests that build the CLI first. */
export declare const CLI_ENTRY: string;
export declare const CLI_OUTFILE: string;
export declare function buildCli(options?: { quiet?: boolean }): Promise<string>;
