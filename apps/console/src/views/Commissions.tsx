import { ViewProps } from '../routes';

export function CommissionsView(_props: ViewProps) {
  return <section aria-busy="true" />;
}
