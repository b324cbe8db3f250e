export * from "./api";
export * from "./checks";
export * from "./cases";
export * from "./results";
export * from "./run";
