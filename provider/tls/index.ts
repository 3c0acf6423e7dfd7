/** Certificate and key facts read with Node's crypto: PEM blocks, key match, names, validity. Pure; re-exports only. */
export * from "./pem";
export * from "./certificate";
