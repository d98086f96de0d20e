import { ViewProps } from '../routes';

export function DealsView(_props: ViewProps) {
  return <section aria-busy="true" />;
}
