// Placeholder until the rendering function lands (docs/cdn-renditions.md).
export const handler = async (): Promise<{ statusCode: number }> => ({ statusCode: 501 });
