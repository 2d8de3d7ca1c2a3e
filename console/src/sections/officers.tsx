/** Placeholder until this section lands (issue 16, point 5). */
import { PageHeading } from '../components.tsx';

export default function Placeholder() {
  return <PageHeading title="尚未提供" />;
}
