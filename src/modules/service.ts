/**
 * service: on a systemd host Ansible's service action runs the systemd module with the task's
 * arguments (plugins/action/service.py), so here it is that module under this name. The arguments
 * Ansible drops there with a warning (pattern, runlevel, sleep, arguments/args) are refused.
 */
import { unitModule } from './systemd.ts';

export const serviceModule = unitModule('service', 'enable/disable and start/stop/restart/reload a systemd unit (as systemd)');
