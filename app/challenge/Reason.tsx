/** A reason row with the command that prints its table: "ip route · node-1". */
import { REASON_COMMANDS, type ReasonRow } from '@kubewire/sim-core';

export function Reason({ row, who }: { row: ReasonRow; who: string }) {
  return (
    <>
      <span className="challenge-source">
        {REASON_COMMANDS[row.table]} · {who}
      </span>
      <code className="challenge-row">{row.row}</code>
    </>
  );
}
