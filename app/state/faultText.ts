/**
 * Writing an action into the scenario's YAML (sim-core's insertAction, which needs the YAML
 * parser, ~30 KiB gzip): loaded when a fault button is first pressed, not with the page.
 */
export { formatAction, insertAction } from '@kubewire/sim-core';
