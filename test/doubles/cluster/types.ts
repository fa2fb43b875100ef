/** The Kubernetes objects: only the fields the double reads or writes. */

export type Labels = Record<string, string>;
export interface OwnerRef { apiVersion: string; kind: string; name: string; uid: string; controller?: boolean; blockOwnerDeletion?: boolean }
export interface Meta {
  name: string; namespace?: string; uid: string; resourceVersion: string; generation?: number;
  creationTimestamp?: string; deletionTimestamp?: string; labels?: Labels; annotations?: Labels;
  ownerReferences?: OwnerRef[]; finalizers?: string[];
}
export interface KubeObject { metadata: Meta }
export interface Condition { type: string; status: string; reason?: string; message?: string; lastUpdateTime?: string; lastTransitionTime?: string; lastProbeTime?: null }
export interface Container { name: string; image?: string; ports?: { name?: string; containerPort: number }[]; readinessProbe?: unknown }
export interface PodSpec { nodeName?: string; nodeSelector?: Labels; containers: Container[]; initContainers?: Container[]; volumes?: { persistentVolumeClaim?: { claimName: string } }[] }
export interface PodTemplate { metadata?: { labels?: Labels; annotations?: Labels }; spec: PodSpec }
export interface ContainerStatus { name: string; ready: boolean }
export interface Pod extends KubeObject { spec: PodSpec; status?: { phase?: string; conditions?: Condition[]; podIP?: string; startTime?: string; containerStatuses?: ContainerStatus[] } }
export type IntOrPercent = number | string;
export interface Deployment extends KubeObject {
  spec: { replicas?: number; selector: { matchLabels?: Labels }; template: PodTemplate; minReadySeconds?: number; progressDeadlineSeconds?: number; strategy?: { type?: string; rollingUpdate?: { maxSurge?: IntOrPercent; maxUnavailable?: IntOrPercent } } };
  status?: WorkloadStatus & { updatedReplicas?: number; unavailableReplicas?: number; conditions?: Condition[] };
}
export interface WorkloadStatus { observedGeneration?: number; replicas?: number; readyReplicas?: number; availableReplicas?: number; fullyLabeledReplicas?: number }
export interface ReplicaSet extends KubeObject { spec: { replicas?: number; minReadySeconds?: number; template: PodTemplate }; status?: WorkloadStatus }
export interface ServicePort { name?: string; port: number; targetPort?: IntOrPercent; protocol?: string }
export interface Service extends KubeObject { spec: { type?: string; clusterIP?: string; selector?: Labels; ports?: ServicePort[]; publishNotReadyAddresses?: boolean } }
export interface EndpointAddress { ip: string; nodeName?: string; targetRef?: { kind: string; namespace?: string; name: string; uid: string } }
export interface EndpointPort { name?: string; port: number; protocol?: string }
export interface Subset { addresses?: EndpointAddress[]; notReadyAddresses?: EndpointAddress[]; ports?: EndpointPort[] }
export interface Endpoints extends KubeObject { subsets?: Subset[] }
export interface SliceEndpoint { addresses: string[]; conditions?: { ready?: boolean; serving?: boolean; terminating?: boolean }; nodeName?: string; targetRef?: EndpointAddress['targetRef'] }
export interface EndpointSlice extends KubeObject { addressType: string; endpoints?: SliceEndpoint[]; ports?: EndpointPort[] }
export type Quantities = Record<string, string>;
export interface Pvc extends KubeObject { spec: { accessModes?: string[]; resources?: { requests?: Quantities }; storageClassName?: string; volumeName?: string; volumeMode?: string }; status?: { phase?: string } }
export interface Pv extends KubeObject {
  spec: { capacity?: Quantities; accessModes?: string[]; storageClassName?: string; volumeMode?: string; persistentVolumeReclaimPolicy?: string; claimRef?: { namespace?: string; name?: string; uid?: string } };
  status?: { phase?: string };
}
export interface Node extends KubeObject { status?: { conditions?: Condition[] } }
export interface Namespace extends KubeObject { spec?: { finalizers?: string[] }; status?: { phase?: string } }
export interface StorageClass extends KubeObject { provisioner: string; reclaimPolicy?: string; volumeBindingMode?: string }
