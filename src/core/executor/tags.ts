/** Ansible's tag selection: --tags picks, --skip-tags drops; `always` and `never` are special. */
export function taskSelected(tags: string[], only: string[], skip: string[]): boolean {
  if (skip.some((t) => t === 'all' || tags.includes(t))) return false;
  if (tags.includes('always')) return true;
  if (only.length === 0 || only.includes('all')) return !tags.includes('never');
  if (only.includes('tagged') && tags.length > 0) return true;
  if (only.includes('untagged') && tags.length === 0) return true;
  return tags.some((t) => only.includes(t));
}
