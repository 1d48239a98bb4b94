/** The provider's tri-state flags (1, 0, -1 = not reported) in words, in the user's language. */
import { t } from "../i18n";

function triState(value: number, on: string, off: string): string {
  switch (value) {
    case 1:
      return on;
    case 0:
      return off;
    default:
      return t().common.notReported;
  }
}

/** Ignition. */
export const accWords = (v: number): string => triState(v, t().common.on, t().common.off);
export const doorWords = (v: number): string => triState(v, t().common.doorOpen, t().common.doorClosed);
export const chargeWords = (v: number): string => triState(v, t().common.charging, t().common.notCharging);
/** `oilpowerstatus`: whether the fuel/power relay lets the engine run. */
export const fuelWords = (v: number): string => triState(v, t().common.fuelOn, t().common.fuelOff);
/** `defencestatus`: the tracker's alarm arming. */
export const defenceWords = (v: number): string => triState(v, t().common.armed, t().common.disarmed);
