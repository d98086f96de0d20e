import { ViewProps } from '../routes';

export function LeadsView(_props: ViewProps) {
  return <section aria-busy="true" />;
}
