/**
 * Warnings and infos a query produced, worded like Prometheus's annotations package
 * ("PromQL warning: ...", "PromQL info: ..."). Sets, because the same note raised at many steps
 * is reported once.
 */
export class Annotations {
  readonly warnings = new Set<string>();
  readonly infos = new Set<string>();

  warn(message: string): void {
    this.warnings.add(`PromQL warning: ${message}`);
  }

  info(message: string): void {
    this.infos.add(`PromQL info: ${message}`);
  }
}
