/** Placeholder: the decision draft and the procedure steps land here (issue 16, point 2). */
import type { CaseFile } from './case-parts.tsx';

export function CaseProcedure(_props: { file: CaseFile; onChanged: () => void }) {
  return null;
}
