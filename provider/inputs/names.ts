/**
 * Names that end up as words of remote commands (`influx -host <h>`, `systemctl restart
 * <unit>`) or as the SSH login. Quoting keeps them one word, but a word starting with `-`
 * would still be read as an option, and a name with spaces or control characters is never
 * what the user meant: such names are refused before anything runs.
 */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001F\u007F-\u009F]/;
const DNS_NAME = /^(?=.{1,253}$)[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?(\.[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)*\.?$/;
const IPV6 = /^\[?[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*(%[A-Za-z0-9_.-]+)?\]?$/;
/** POSIX portable names, plus "@" for directory logins such as "jane@corp.example" (SSSD). */
const USER = /^[A-Za-z_][A-Za-z0-9_.@-]{0,63}\$?$/;
const UNIT = /^[A-Za-z0-9_:@.\\][A-Za-z0-9_:@.\\-]{0,254}$/;

function shown(v: string): string {
    return JSON.stringify(v.length > 80 ? v.slice(0, 80) + "…" : v);
}

/** Why `h` is not a host name or IP address, or undefined when it is. */
export function hostnameProblem(h: unknown): string | undefined {
    if (typeof h !== "string" || h.trim() === "") {
        return "a host name or address is required";
    }
    if (DNS_NAME.test(h) || IPV6.test(h)) {
        return undefined;
    }
    if (CONTROL.test(h) || /\s/.test(h)) {
        return `${shown(h)} contains whitespace or a control character; expected a host name or IP address`;
    }
    if (h.startsWith("-")) {
        return `${shown(h)} starts with "-" (it would be read as an option); expected a host name or IP address`;
    }
    if (/[^\x00-\x7F]/.test(h)) {
        return `${shown(h)} is not ASCII: give an internationalised name in its punycode form (xn--…)`;
    }
    return `${shown(h)} is not a host name (letters, digits, "-", "_", dots) or an IP address`;
}

/** Why `u` is not a login/user name (letters, digits, `_ . - @`, not starting with a digit or `-`). */
export function userNameProblem(u: unknown): string | undefined {
    if (typeof u !== "string" || u === "") {
        return "a user name is required";
    }
    if (USER.test(u)) {
        return undefined;
    }
    if (/^[0-9]+$/.test(u)) {
        return `${shown(u)} is numeric: give the user's name, not its id`;
    }
    return `${shown(u)} is not a user name (letters, digits, "_", ".", "-", "@", at most 64, not starting with a digit or "-")`;
}

/** Why `s` is not a systemd unit name, or undefined when it is. */
export function serviceNameProblem(s: unknown): string | undefined {
    if (typeof s !== "string" || s === "") {
        return "a service name is required";
    }
    return UNIT.test(s) ? undefined : `${shown(s)} is not a service (unit) name (letters, digits, ":_.@\\-", not starting with "-")`;
}

/** Why `a` is not "host:port" (an IPv6 host in brackets, port 1–65535), or undefined when it is. */
export function hostPortProblem(a: unknown): string | undefined {
    if (typeof a !== "string" || a === "") {
        return "a \"host:port\" address is required";
    }
    const m = /^(.*):([0-9]{1,5})$/.exec(a);
    if (!m) {
        return `${shown(a)} is not "host:port"`;
    }
    const port = Number(m[2]);
    if (port < 1 || port > 65535) {
        return `${shown(a)}: port ${m[2]} is not between 1 and 65535`;
    }
    const host = m[1].replace(/^\[(.*)\]$/, "$1");
    if (host.includes(":") && !m[1].startsWith("[")) {
        return `${shown(a)}: an IPv6 address goes in brackets ("[::1]:8086")`;
    }
    const problem = hostnameProblem(host);
    return problem && `${shown(a)}: ${problem}`;
}
