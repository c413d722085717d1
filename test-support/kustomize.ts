import { execFileSync } from 'node:child_process';
import { loadAll } from 'js-yaml';
import { join } from 'node:path';

export const K8S_DIR = join(__dirname, '..', 'docker', 'k8s');

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
  spec?: Record<string, unknown>;
  data?: Record<string, string>;
  stringData?: Record<string, string>;
}

/**
 * Renders a kustomization as `kubectl kustomize` (kustomize v5, in kubectl) does for `apply -k`: no
 * cluster needed. kubectl comes with the machine image (Google Cloud CLI); say so when it is missing.
 */
export function renderKustomization(dir: string): K8sObject[] {
  let text: string;
  try {
    text = execFileSync('kubectl', ['kustomize', join(K8S_DIR, dir)], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (err: unknown) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new Error('kubectl is not installed: the Kubernetes manifests cannot be rendered');
    throw err;
  }
  return loadAll(text) as K8sObject[];
}

export function only<T = K8sObject>(objects: K8sObject[], kind: string): T {
  const found = objects.filter((o) => o.kind === kind);
  if (found.length !== 1) throw new Error(`expected one ${kind}, found ${found.length}`);
  return found[0] as T;
}
