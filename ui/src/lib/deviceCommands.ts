/** The commands a vehicle's panel offers, in the order shown. */
import type { Command } from "../bindings";
import { t } from "../i18n";

/** The commands the panel offers (not a raw command). */
export type NamedCommand = Exclude<Command, { Raw: string }>;

export interface CommandChoice {
  readonly command: NamedCommand;
  /** The command's name and its hint, in the language in use when read. */
  readonly label: string;
  readonly testid: string;
  /** "danger" draws the button in red. */
  readonly tone: "danger" | "normal";
  readonly hint: string;
}

function choice(command: NamedCommand, testid: string, tone: "danger" | "normal"): CommandChoice {
  return {
    command,
    testid,
    tone,
    get label() {
      return t().commands.names[command];
    },
    get hint() {
      return t().commands.hints[command];
    },
  };
}

export const COMMAND_CHOICES: readonly CommandChoice[] = [
  choice("StopEngine", "command-stop-engine", "danger"),
  choice("RestoreEngine", "command-restore-engine", "normal"),
  choice("Reset", "command-reset", "normal"),
  choice("LockDoor", "command-lock", "normal"),
  choice("UnlockDoor", "command-unlock", "normal"),
];

/** A command's name in the language in use; a raw command is its own text. */
export function commandName(command: Command): string {
  return typeof command === "string" ? t().commands.names[command] : command.Raw;
}

/** "12 s", "4 min", "3 h", "2 d" — how old a fix is; "no fix" without one. */
export function ageWords(secs: number | null): string {
  const c = t().common;
  if (secs === null || !Number.isFinite(secs)) return t().commands.noFix;
  if (secs < 60) return c.seconds({ n: Math.max(0, Math.round(secs)) });
  if (secs < 3600) return c.minutes({ n: Math.floor(secs / 60) });
  if (secs < 172_800) return c.hours({ n: Math.floor(secs / 3600) });
  return c.days({ n: Math.floor(secs / 86_400) });
}
