import { safeStorage } from 'electron';
import { fileSecretStore, type SecretStore } from '../main/secrets/secretStore';

/** Secrets encrypted with the OS keychain (safeStorage); falls back to the 0600 file when it is unavailable. */
export function safeStorageSecretStore(file: string): SecretStore {
  if (!safeStorage.isEncryptionAvailable()) return fileSecretStore(file);
  return fileSecretStore(file, {
    encode: (plain) => safeStorage.encryptString(plain),
    decode: (stored) => safeStorage.decryptString(stored),
  });
}
