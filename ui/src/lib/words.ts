/** The provider's tri-state flags (1, 0, -1 = not reported) in words. */

function triState(value: number, on: string, off: string): string {
  switch (value) {
    case 1:
      return on;
    case 0:
      return off;
    default:
      return "Not reported";
  }
}

/** Ignition. */
export const accWords = (v: number): string => triState(v, "On", "Off");
export const doorWords = (v: number): string => triState(v, "Open", "Closed");
export const chargeWords = (v: number): string => triState(v, "Charging", "Not charging");
/** `oilpowerstatus`: whether the fuel/power relay lets the engine run. */
export const fuelWords = (v: number): string => triState(v, "Supply on", "Cut off");
/** `defencestatus`: the tracker's alarm arming. */
export const defenceWords = (v: number): string => triState(v, "Armed", "Disarmed");
