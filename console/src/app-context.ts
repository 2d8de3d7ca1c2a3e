/** What every section needs: the configuration, the session, the API, navigation. */
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Api } from './api/client.ts';
import type { HostedSignIn } from './lib/pkce.ts';
import type { Session } from './lib/session.ts';

export interface ConsoleConfig {
  readonly apiUrl: string;
  /** `local`: the sign-in page of local mode; `cognito`: the user pool's hosted sign-in (lib/hosted-sign-in.ts). */
  readonly auth: 'local' | 'cognito';
  /** With `cognito`: the user pool domain and the console's app client, from the shell. */
  readonly cognito?: HostedSignIn;
  readonly bureauName: string;
}

export interface AppContextValue {
  readonly config: ConsoleConfig;
  readonly session: Session | undefined;
  readonly api: Api;
  readonly navigate: (to: string, options?: { replace?: boolean }) => void;
  readonly signIn: (token: string, next: string | undefined) => boolean;
  readonly signOut: () => void;
}

export const AppContext = createContext<AppContextValue | undefined>(undefined);

export function useApp(): AppContextValue {
  const value = useContext(AppContext);
  if (!value) throw new Error('AppContext missing');
  return value;
}
