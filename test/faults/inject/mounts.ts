/**
 * Filesystem faults in one host's mount namespace (nsenter; the machine and the other hosts
 * see nothing): a tiny full tmpfs over a directory (its files copied in first, so the
 * service still reads the same config), the directory made read-only, or a file masked by
 * a bind mount. Each returns its undo; a tmpfs copies the config back before it goes, so
 * whatever the provider managed to write is what the host keeps.
 */
import { onHost } from "../../sandbox";

export type Undo = () => Promise<void>;

const sh = (host: string, script: string, ...args: string[]) => onHost(host, ["sh", "-c", script, "sh", ...args]);

/** Mounts a 64 KiB tmpfs over `dir` holding a copy of its files, then fills it to the last byte. */
export async function fullTmpfs(host: string, dir: string): Promise<Undo> {
    const stash = `/tmp/pitls-fault-stash-${process.pid}-${host}`;
    await sh(host, `set -e; rm -rf "$2"; mkdir -p "$2"; cp -a "$1/." "$2/"
mount -t tmpfs -o size=64k,mode=0755 pitls-fault "$1"; cp -a "$2/." "$1/"
dd if=/dev/zero of="$1/.pitls-fault-filler" bs=1k 2>/dev/null || true
dd if=/dev/zero of="$1/.pitls-fault-filler2" bs=1 2>/dev/null || true`, dir, stash);
    return async () => {
        // Keep what the provider left in the tmpfs (the truth on the host), then unmount.
        await sh(host, `set -e; rm -f "$1/.pitls-fault-filler" "$1/.pitls-fault-filler2"; rm -rf "$2"; mkdir -p "$2"; cp -a "$1/." "$2/"
umount "$1"; find "$1" -mindepth 1 -delete; cp -a "$2/." "$1/"; rm -rf "$2"`, dir, stash);
    };
}

/** Fills an already mounted fault tmpfs (after a step has run). */
export async function fillTmpfs(host: string, dir: string): Promise<void> {
    await sh(host, `dd if=/dev/zero of="$1/.pitls-fault-filler" bs=1k 2>/dev/null; dd if=/dev/zero of="$1/.pitls-fault-filler2" bs=1 2>/dev/null; true`, dir);
}

/** Mounts a tmpfs over `dir` with its files but with room left (fill it later with fillTmpfs). */
export async function roomyTmpfs(host: string, dir: string): Promise<Undo> {
    const undo = await fullTmpfs(host, dir);
    await sh(host, `rm -f "$1/.pitls-fault-filler" "$1/.pitls-fault-filler2"`, dir);
    return undo;
}

/** Makes `dir` (a mount point in the host) read-only. */
export async function readOnly(host: string, dir: string): Promise<Undo> {
    await sh(host, `mount -o remount,bind,ro "$1"`, dir);
    return async () => {
        await sh(host, `mount -o remount,bind,rw "$1"`, dir);
    };
}

/** Hides `file` behind a bind-mounted copy with `content`. */
export async function maskFile(host: string, file: string, content: string): Promise<Undo> {
    const src = `/tmp/pitls-fault-mask-${process.pid}-${host}-${file.replace(/\W/g, "_")}`;
    await onHost(host, ["sh", "-c", `cat > "$1" && mount --bind "$1" "$2"`, "sh", src, file], { input: content });
    return async () => {
        await sh(host, `umount "$1"; rm -f "$2"`, file, src);
    };
}
