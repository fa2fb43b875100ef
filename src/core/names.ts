/**
 * Physical names, as the original system derived them (so existing resources
 * keep their names), minus its per-run random ACR suffix: every name here is
 * stable across runs.
 */
import { createHash } from 'node:crypto';
import type { InfraConfig } from './config/types';

const PER_USER_ENVS = new Set(['dev', 'staging']);

function md5Prefix(text: string, length: number): string {
  return createHash('md5').update(text).digest('hex').slice(0, length);
}

const alphanumeric = (text: string): string => text.toLowerCase().replace(/[^a-z0-9]/g, '');

/** Lowercase alphanumerics, at most 20, `user` when nothing is left (the original's `StackNaming.sanitize_username`). */
export function sanitizeUsername(name: string): string {
  return alphanumeric(name).slice(0, 20) || 'user';
}

/**
 * The user name as the original's cluster, registry and resource group take it
 * (`AzureProviderConfig.derive_username`): lowercase letters, digits and '-', without
 * leading or trailing '-', at most 20, `user` when nothing is left. Only the storage
 * account takes the user name without its hyphens (sanitizeUsername).
 */
export function clusterUsername(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9-]/g, '').replace(/^-+|-+$/g, '').slice(0, 20) || 'user';
}

export function resourceGroupName(env: string, user?: string): string {
  return user ? `modelops-${env}-rg-${sanitizeUsername(clusterUsername(user))}` : `modelops-${env}-rg`;
}

/** `modelops-{env}-aks`, in dev and staging with 4 hex of md5("{env}-{user}"), the user's hyphens kept as the original keeps them. */
export function clusterName(env: string, user?: string): string {
  const base = `modelops-${env}-aks`;
  return PER_USER_ENVS.has(env) && user ? `${base}-${md5Prefix(`${env}-${clusterUsername(user)}`, 4)}` : base;
}

export interface RegistryNameOptions {
  registryName?: string;
  perUserRegistry?: boolean;
  /** The name the registry's stack already has, kept where the original's name was random. */
  existing?: string;
}

/** True where the original named the registry at random (outside dev and staging, or without a user), so only its stack knows the name. */
export function registryNameWasRandom(env: string, user: string | undefined, options: RegistryNameOptions = {}): boolean {
  return !options.registryName && !(PER_USER_ENVS.has(env) && (options.perUserRegistry ?? true) && user);
}

export function registryName(env: string, user: string | undefined, options: RegistryNameOptions = {}): string {
  if (options.registryName) return alphanumeric(options.registryName).slice(0, 50);
  const envPart = alphanumeric(env);
  if (!registryNameWasRandom(env, user, options)) return `modelops${envPart}acr${sanitizeUsername(clusterUsername(user!))}`.slice(0, 50);
  // The original appended a random suffix here on every run: the name its stack has is kept, else a stable one is derived.
  return options.existing || `modelops${envPart}acr${md5Prefix(`${env}-${user || 'default'}`, 4)}`;
}

/**
 * The resource group of an environment: always `modelops-{env}-rg[-{user}]`, as the original named it,
 * whatever `resource_group` says, so two environments of one file never share (and never destroy) one group.
 */
export function resourceGroupNameFor(config: Pick<InfraConfig, 'username'>, env: string): string {
  return resourceGroupName(env, config.username);
}

/**
 * The registry's global DNS name: `registry.registry_name` when set, else one per environment (and per
 * user in dev and staging). `acr.name` is not a name here, as in the original: one name shared by every
 * environment and user would collide in Azure's global namespace.
 */
export function registryNameFor(config: Pick<InfraConfig, 'registry' | 'acr' | 'username'>, env: string, existing?: string): string {
  return registryName(env, config.username, registryOptions(config, existing));
}

/** Whether the registry's name comes from its stack (see registryNameWasRandom). */
export function registryNameFromStack(config: Pick<InfraConfig, 'registry' | 'acr' | 'username'>, env: string): boolean {
  return registryNameWasRandom(env, config.username, registryOptions(config));
}

function registryOptions(config: Pick<InfraConfig, 'registry' | 'acr' | 'username'>, existing?: string): RegistryNameOptions {
  return { registryName: config.registry?.registryName, perUserRegistry: config.registry?.perUserRegistry ?? config.acr?.perUserRegistry, existing };
}

export function storageAccountName(env: string, user?: string): string {
  const envPart = env === 'prod' ? 'prd' : alphanumeric(env).slice(0, 3);
  const userPart = PER_USER_ENVS.has(env) && user ? sanitizeUsername(user).slice(0, 3) : 'sto';
  return `modelops${envPart}${userPart}${md5Prefix(`${env}-${user ? sanitizeUsername(user) : 'default'}`, 4)}`.slice(0, 24);
}

/** A DNS-1123 label: lowercase alphanumerics and '-', at most 63. */
export function dnsLabel(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9-]/g, '-').replace(/-+/g, '-').replace(/^-|-$/g, '').slice(0, 63).replace(/-$/, '') || 'default';
}

export function workspaceNamespace(env: string, explicit?: string): string {
  return explicit ?? dnsLabel(`modelops-dask-${env}`);
}

export function adaptiveNamespace(env: string, run: string): string {
  return dnsLabel(`modelops-adaptive-${env}-${run}`);
}

export const STANDARD_CONTAINERS = ['bundle-blobs', 'workspace', 'results', 'jobs'] as const;
