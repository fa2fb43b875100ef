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
  /** The name the registry's stack already has: kept, never renamed (a rename replaces the registry and its images). */
  existing?: string;
  /**
   * The subscription a new registry goes into: mixed into its name, since names are global and every
   * organisation has a `prod` (and users called alice). Absent: the name as the original derived it.
   */
  subscription?: string;
}

/** True where the original named the registry at random (outside dev and staging, or without a user), so only its stack knows the name. */
export function registryNameWasRandom(env: string, user: string | undefined, options: RegistryNameOptions = {}): boolean {
  return !options.registryName && !(PER_USER_ENVS.has(env) && (options.perUserRegistry ?? true) && user);
}

/** Hex of md5 of the subscription (a lowercase GUID): what makes a derived global name this organisation's. */
const subscriptionPart = (subscription: string, length: number): string => md5Prefix(subscription.trim().toLowerCase(), length);

export function registryName(env: string, user: string | undefined, options: RegistryNameOptions = {}): string {
  if (options.registryName) return alphanumeric(options.registryName).slice(0, 50);
  if (options.existing) return options.existing;
  const envPart = alphanumeric(env);
  const mix = options.subscription ? subscriptionPart(options.subscription, 6) : '';
  // The original appended a random suffix outside dev and staging on every run: a stable one is derived instead.
  const base = registryNameWasRandom(env, user, options) ? md5Prefix(`${env}-${user || 'default'}`, 4) : sanitizeUsername(clusterUsername(user!));
  return `modelops${envPart}acr${base}`.slice(0, 50 - mix.length) + mix;
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
export function registryNameFor(config: Pick<InfraConfig, 'registry' | 'acr' | 'username'>, env: string, kept: Pick<RegistryNameOptions, 'existing' | 'subscription'> = {}): string {
  return registryName(env, config.username, { ...registryOptions(config), ...kept });
}

function registryOptions(config: Pick<InfraConfig, 'registry' | 'acr' | 'username'>): RegistryNameOptions {
  return { registryName: config.registry?.registryName, perUserRegistry: config.registry?.perUserRegistry ?? config.acr?.perUserRegistry };
}

/**
 * The storage account's global name: as the original derived it, or for a new account, with the
 * subscription mixed in (8 hex instead of 4, still at most 24 characters).
 */
export function storageAccountName(env: string, user?: string, subscription?: string): string {
  const envPart = env === 'prod' ? 'prd' : alphanumeric(env).slice(0, 3);
  const userPart = PER_USER_ENVS.has(env) && user ? sanitizeUsername(user).slice(0, 3) : 'sto';
  const seed = `${env}-${user ? sanitizeUsername(user) : 'default'}`;
  const hash = subscription ? md5Prefix(`${seed}-${subscription.trim().toLowerCase()}`, 8) : md5Prefix(seed, 4);
  return `modelops${envPart}${userPart}${hash}`.slice(0, 24);
}

/** The account's name: `storage.account_name`, else the one its stack has, else a new one for the subscription. */
export function storageAccountNameFor(config: Pick<InfraConfig, 'storage' | 'username'>, env: string, kept: { existing?: string; subscription?: string } = {}): string {
  return config.storage?.accountName ?? kept.existing ?? storageAccountName(env, config.username, kept.subscription);
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
