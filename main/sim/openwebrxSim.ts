// Indirection so the simulation runner builds before the OpenWebRX simulator lands (replaced by a re-export then).
import { type Scene, type SceneReceiver } from './scene';

export async function startOpenWebRxSimServer(opts: { scene: Scene; receiver: SceneReceiver; host?: string; port?: number }): Promise<{ url: string; port: number; close(): Promise<void> }> {
  throw new Error(`The OpenWebRX simulator is not available in this build (receiver ${opts.receiver.id}).`);
}
