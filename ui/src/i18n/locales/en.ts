/**
 * English: the reference language. Every other file in this folder has exactly these keys (a test
 * checks it) and the same parameters (the compiler checks them). A message with parameters is a
 * function; numbers in it are formatted with `formatNumber` so they follow the language.
 */
import type { Locale } from "../index";
import type { Widen } from "../types";
import { formatNumber } from "../format";

const messages = {
  common: {
    ok: "OK",
    cancel: "Cancel",
    close: "Close",
    save: "Save",
    retry: "Try again",
    loading: "Loading…",
    notReported: "Not reported",
    none: "None",
    yes: "Yes",
    no: "No",
    dash: "—",
    never: "never",
    justNow: "just now",
    ago: ({ span }: { span: string }) => `${span} ago`,
    inFuture: ({ span }: { span: string }) => `in ${span}`,
    seconds: ({ n }: { n: number }) => `${formatNumber(n)} s`,
    minutes: ({ n }: { n: number }) => `${formatNumber(n)} min`,
    hours: ({ n }: { n: number }) => `${formatNumber(n)} h`,
    days: ({ n }: { n: number }) => `${formatNumber(n)} d`,
    years: ({ n }: { n: number }) => `${formatNumber(n)} y`,
    kmh: "km/h",
    mph: "mph",
    km: "km",
    mi: "mi",
    m: "m",
    compass: ["N", "NE", "E", "SE", "S", "SW", "W", "NW"] as readonly string[],
    on: "On",
    off: "Off",
    doorOpen: "Open",
    doorClosed: "Closed",
    charging: "Charging",
    notCharging: "Not charging",
    fuelOn: "Supply on",
    fuelOff: "Cut off",
    armed: "Armed",
    disarmed: "Disarmed",
    local: "This computer's time zone",
  },
  errors: {
    /** By the error's kind, when there is no better wording. */
    kind: {
      api: "The provider refused the request.",
      network: "The provider cannot be reached. Check the network connection and the provider URL.",
      http: "The provider answered with an HTTP error.",
      decode: "The provider's answer could not be read.",
      validation: "Some of what was entered is not valid.",
      keychain: "The system keychain could not be used.",
      notSignedIn: "You are not signed in.",
      cancelled: "Cancelled.",
      internal: "Something went wrong inside etrack.",
    },
    /** The Open API's error codes (spec §3). */
    api: {
      "10000": "The provider had a system error. Try again in a moment.",
      "10001": "The provider does not know this request.",
      "10002": "The sign-in has timed out. Sign in again.",
      "10003": "Not signed in to the provider.",
      "10004": "The provider refused a parameter of the request.",
      "10005": "A required parameter is missing from the request.",
      "10006": "A parameter of the request is out of range.",
      "10007": "This account has no permission for that.",
      "10009": "Too many requests: the provider asks to slow down. etrack retries by itself.",
      "10010": "The access token does not exist. Sign in again.",
      "10011": "The access token is invalid. Sign in again.",
      "10012": "The access token has expired. Sign in again.",
      "10013": "This account is not authorised for that vehicle (IMEI).",
      "10014": "The request's time is wrong: check this computer's clock.",
      "10016": "This account is blocked.",
      "20001": "The account or password is wrong.",
      "20005": "That does not exist at the provider (vehicle, account or geofence).",
      "20017": "The device is offline: the command was not delivered.",
      "20018": "The command could not be sent to the device.",
      "20023": "The provider has no data for that.",
      "20046": "That vehicle or account has expired.",
      "20048": "The device does not support this command.",
      "20089": "The device is blocked.",
    },
    /** "Provider error 10013: …" */
    withCode: ({ code, text }: { code: number; text: string }) => `${text} (code ${code})`,
    /** The backend's own English words after ours, in the other languages. */
    detail: ({ text }: { text: string }) => `(${text})`,
  },
  /** Alarm types by the spec's number (§2.8). */
  alarms: {
    names: {
    "1": "SOS",
    "2": "Low battery",
    "3": "Power disconnected",
    "4": "Vibration",
    "5": "Entered geofence",
    "6": "Left geofence",
    "7": "Speeding",
    "8": "Vehicle moved",
    "9": "Engine on",
    "10": "Engine off",
    "11": "Tyre temperature",
    "12": "Tyre leak",
    "13": "Tyre pressure low",
    "14": "Tyre pressure high",
    "15": "Entered GPS dead zone",
    "16": "Left GPS dead zone",
    "17": "OBD trouble code",
    "18": "Tracker removed",
    "19": "Power off",
    "20": "Collision",
    "21": "Dropped",
    "22": "Off route",
    "23": "Rapid acceleration",
    "24": "Rapid deceleration",
    "25": "Sharp turn",
    "26": "Door opened",
    "27": "Door closed",
    },
    unknown: ({ code }: { code: number }) => `Alarm ${code}`,
  },
  // @i18n-namespaces (each area's block goes above this line)
};

export type Messages = Widen<typeof messages>;

const en: Locale = { name: "English", messages };
export default en;
