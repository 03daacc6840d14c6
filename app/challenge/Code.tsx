/** A sentence with `backticked` table rows, the rows set as code. */
export function WithCode({ text }: { text: string }) {
  return (
    <>
      {text.split('`').map((part, i) =>
        i % 2 ? (
          <code key={i} className="challenge-row">
            {part}
          </code>
        ) : (
          part
        ),
      )}
    </>
  );
}
