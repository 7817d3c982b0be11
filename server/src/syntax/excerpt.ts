// Shortens text quoted in a message, so a finding about a 1 MB line is a sentence, not a megabyte.
// Pure; used wherever a message repeats what the user wrote.

/** `text` unchanged when short, else its start and end around an ellipsis, at most about `max` characters. */
export function excerpt(text: string, max = 80): string {
  if (text.length <= max) return text;
  const tail = Math.min(20, Math.floor(max / 4));
  return `${text.slice(0, max - tail - 1)}…${text.slice(text.length - tail)}`;
}
