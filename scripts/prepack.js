// `npm pack` / `npm publish` run this first: a fresh build, and no compiled file whose source
// is gone (tsc never deletes, so a renamed module would otherwise ship twice).
const { execFileSync } = require("child_process");
const fs = require("fs");
const path = require("path");

const root = path.join(__dirname, "..");
execFileSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", "tsconfig.json"], { cwd: root, stdio: "inherit" });
const bin = path.join(root, "bin");
for (const e of fs.readdirSync(bin, { withFileTypes: true, recursive: true })) {
    const m = /^(.*)\.(js|d\.ts)$/.exec(e.name);
    if (!e.isFile() || !m) continue;
    const source = path.join(root, "provider", path.relative(bin, e.parentPath), `${m[1]}.ts`);
    if (!fs.existsSync(source)) {
        fs.rmSync(path.join(e.parentPath, e.name));
        console.log(`prepack: removed ${path.relative(root, path.join(e.parentPath, e.name))} (no ${path.relative(root, source)})`);
    }
}
