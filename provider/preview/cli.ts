#!/usr/bin/env node
/**
 * pulumi-influxdb-tls-preview: `pulumi preview --json` (a file, or stdin) → a compact markdown
 * PR comment on stdout (markdown.ts). Usage:
 *   pulumi preview --json --stack prod > preview.json
 *   npx pulumi-influxdb-tls-preview preview.json --title "prod" --url "$RUN_URL" > comment.md
 * Exits 1 when the input is not preview JSON; warns on stderr when the comment would exceed
 * GitHub's 65,536-character limit.
 */
import * as fs from "node:fs";
import { previewMarkdown, type PreviewJson } from "./markdown";

/** GitHub's limit on an issue or pull-request comment body. */
export const GITHUB_COMMENT_LIMIT = 65_536;

function main(argv: string[]): number {
    let file: string | undefined;
    let title: string | undefined;
    let url: string | undefined;
    for (let i = 0; i < argv.length; i++) {
        if (argv[i] === "--title") title = argv[++i];
        else if (argv[i] === "--url") url = argv[++i];
        else file = argv[i];
    }
    const text = fs.readFileSync(file ?? 0, "utf8");
    let preview: PreviewJson;
    try {
        preview = JSON.parse(text);
    } catch (e) {
        process.stderr.write(`pulumi-influxdb-tls-preview: ${file ?? "stdin"} is not the JSON of \`pulumi preview --json\`: ${(e as Error).message}\n`);
        return 1;
    }
    const md = previewMarkdown(preview, { title, fullDiffUrl: url });
    if (md.length > GITHUB_COMMENT_LIMIT) {
        process.stderr.write(`pulumi-influxdb-tls-preview: the comment has ${md.length} characters, over GitHub's ${GITHUB_COMMENT_LIMIT}\n`);
    }
    process.stdout.write(md);
    return 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
