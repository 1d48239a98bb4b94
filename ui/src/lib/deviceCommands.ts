/** The commands a vehicle's panel offers, in the order shown. */
import type { Command } from "../bindings";

export interface CommandChoice {
  command: Command;
  label: string;
  testid: string;
  /** "danger" draws the button in red. */
  tone: "danger" | "normal";
  hint: string;
}

export const COMMAND_CHOICES: readonly CommandChoice[] = [
  { command: "StopEngine", label: "Stop engine", testid: "command-stop-engine", tone: "danger", hint: "Cut the fuel supply (RELAY,1)" },
  { command: "RestoreEngine", label: "Restore engine", testid: "command-restore-engine", tone: "normal", hint: "Restore the fuel supply (RELAY,0)" },
  { command: "Reset", label: "Reset device", testid: "command-reset", tone: "normal", hint: "Restart the tracker (RESET)" },
  { command: "LockDoor", label: "Lock doors", testid: "command-lock", tone: "normal", hint: "Lock the doors (LOCKDOOR)" },
  { command: "UnlockDoor", label: "Unlock doors", testid: "command-unlock", tone: "normal", hint: "Unlock the doors (UNLOCKDOOR)" },
];

/** "just now", "12 s", "4 min", "3 h", "2 d" — how old a fix is. */
export function ageWords(secs: number | null): string {
  if (secs === null || !Number.isFinite(secs)) return "no fix";
  if (secs < 60) return `${Math.max(0, Math.round(secs))} s`;
  if (secs < 3600) return `${Math.floor(secs / 60)} min`;
  if (secs < 172_800) return `${Math.floor(secs / 3600)} h`;
  return `${Math.floor(secs / 86_400)} d`;
}
