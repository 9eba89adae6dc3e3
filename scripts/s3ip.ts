// `npm run s3ip -- upload photo.jpg`: npm runs scripts in the repository's root, but the paths were
// typed in the caller's directory, which npm passes as INIT_CWD. Resolve them there.
if (process.env.INIT_CWD) process.chdir(process.env.INIT_CWD);
await import('../clients/typescript/src/cli.ts');

export {};
