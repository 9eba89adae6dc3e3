/** The items of a list setting: a JSON list, or a comma-separated string (`-c key=a,b`, an environment variable). */
export function listItems(value: string | readonly unknown[]): string[] {
  const items = typeof value === 'string' ? value.split(',') : value.map((item) => String(item));
  return items.map((item) => item.trim()).filter(Boolean);
}
