// A kind template with the chosen name put in (metadata.name).

export function withName(template: string, name: string): string {
  const lines = template.split('\n');
  const meta = lines.findIndex((l) => /^metadata:\s*$/.test(l));
  if (meta >= 0) {
    for (let i = meta + 1; i < lines.length && /^(\s|$)/.test(lines[i]); i++) {
      const m = /^(\s+name:)\s*.*$/.exec(lines[i]);
      if (m) {
        lines[i] = `${m[1]} ${name}`;
        return lines.join('\n');
      }
    }
    lines.splice(meta + 1, 0, `  name: ${name}`);
    return lines.join('\n');
  }
  return `${template.replace(/\n*$/, '\n')}metadata:\n  name: ${name}\n`;
}

/** RFC 1123 subdomain names, the rule every Hedgehog resource name follows. */
export function nameProblem(name: string): string | null {
  if (!name) return 'A name is required.';
  if (name.length > 253) return 'At most 253 characters.';
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(name)) {
    return 'Lowercase letters, digits, "-" and ".", starting and ending with a letter or digit.';
  }
  return null;
}
