import { useApi } from '@backstage/core-plugin-api';
import {
  MeResponse,
  SettingsResponse,
} from '@elevated-access/backstage-plugin-elevated-access-common';
import { createContext, ReactNode, useContext } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { elevatedAccessApiRef } from '../api/ElevatedAccessApi';
import { useLiveRefresh } from './useLiveRefresh';

interface ElevatedAccessContextValue {
  me: MeResponse;
  settings: SettingsResponse;
  refreshMe: () => void;
}

const Context = createContext<ElevatedAccessContextValue | undefined>(
  undefined,
);

/** Loads who the caller is in the plugin and the settings, once per page. */
export function useLoadElevatedAccess() {
  const api = useApi(elevatedAccessApiRef);
  const state = useAsyncRetry(async () => {
    const [me, settings] = await Promise.all([api.me(), api.getSettings()]);
    return { me, settings };
  }, [api]);
  useLiveRefresh(state.retry);
  return state;
}

export const ElevatedAccessProvider = (props: {
  value: ElevatedAccessContextValue;
  children: ReactNode;
}) => <Context.Provider value={props.value}>{props.children}</Context.Provider>;

/** The caller's standing and the settings, inside the Elevated Access page. */
export function useElevatedAccess(): ElevatedAccessContextValue {
  const value = useContext(Context);
  if (!value) {
    throw new Error(
      'useElevatedAccess must be used inside the Elevated Access page',
    );
  }
  return value;
}
