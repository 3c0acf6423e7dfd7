import { RemoteFileProvider } from "../providers/remoteFile/provider";
import { TomlSettingsProvider } from "../providers/tomlSettings/provider";

/*
 * One provider object per class for the whole program. @pulumi/pulumi caches a dynamic
 * provider's serialized code in a WeakMap keyed by the provider *object* (dynamic/index.js),
 * so a `new …Provider()` per resource made the closure serializer run again for every
 * resource — 0.2–0.8 s each on two cores, the largest per-resource cost of a no-op `up`
 * (issue 11). Sharing is safe because the providers hold no state: their methods are
 * prototype methods that only call module functions, and each operation opens its own SSH
 * connection. These variables live here, not in providers/: nothing the serializer captures
 * refers to them (test/unit/resources/providerInstances.test.ts).
 */
let tomlSettings: TomlSettingsProvider | undefined;
let remoteFile: RemoteFileProvider | undefined;

/** The program's one TomlSettingsProvider. */
export function tomlSettingsProvider(): TomlSettingsProvider {
    return (tomlSettings ??= new TomlSettingsProvider());
}

/** The program's one RemoteFileProvider. */
export function remoteFileProvider(): RemoteFileProvider {
    return (remoteFile ??= new RemoteFileProvider());
}
