export function linkPackage(): void;
