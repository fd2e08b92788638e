/**
 * The pipelines part of the MetaStore contract (O2-CONTRACT §7): each pipeline is its O2
 * document as JSON text beside the columns lookups filter on (the source stream of a realtime
 * pipeline, the enabled flag). A name is unique per org, and a stream is the source of at most
 * one realtime pipeline (as in O2), so the ingester never has to pick between two.
 */
export interface StoredPipeline {
  org: string;
  pipelineId: string;
  name: string;
  enabled: boolean;
  sourceType: 'realtime' | 'scheduled';
  /** The source stream (realtime) or the query's stream type and '' (scheduled). */
  streamType: string;
  streamName: string;
  /** Bumped by every update; O2's `version`. */
  version: number;
  /** The pipeline document as JSON text. */
  data: string;
  createdAt: number;
  updatedAt: number;
}

export type PipelineContent = Pick<
  StoredPipeline,
  'name' | 'enabled' | 'sourceType' | 'streamType' | 'streamName' | 'data'
>;

export interface PipelineRepository {
  /**
   * ALREADY_EXISTS when the id or the name is taken in the org, or when another realtime
   * pipeline reads the same stream.
   */
  create(
    pipeline: Pick<StoredPipeline, 'org' | 'pipelineId'> & PipelineContent,
  ): Promise<StoredPipeline>;
  get(org: string, pipelineId: string): Promise<StoredPipeline | undefined>;
  /** By name, ordered; `sourceType` narrows to one kind. */
  list(
    org: string,
    filter?: { sourceType?: StoredPipeline['sourceType'] },
  ): Promise<StoredPipeline[]>;
  /** Enabled realtime pipelines of every org (what ingesters run). */
  listEnabledRealtime(): Promise<StoredPipeline[]>;
  /** Enabled scheduled pipelines of every org (what the alertmanager runs). */
  listEnabledScheduled(): Promise<StoredPipeline[]>;
  /**
   * Replaces the content; CONFLICT when `expectedVersion` is given and the stored one differs,
   * NOT_FOUND when absent, ALREADY_EXISTS as for create.
   */
  update(
    org: string,
    pipelineId: string,
    content: PipelineContent,
    expectedVersion?: number,
  ): Promise<StoredPipeline>;
  /** NOT_FOUND when absent. */
  setEnabled(org: string, pipelineId: string, enabled: boolean): Promise<StoredPipeline>;
  /** The ids deleted (absent ones are left out). */
  delete(org: string, pipelineIds: readonly string[]): Promise<string[]>;
}
