/**
 * Alpaca keys for paper and live modes: what the engine says about them (configured, where from, a hint
 * of the key id, how saved keys are kept) and a form to save or clear them. The secret goes to the
 * engine and nowhere else: the inputs are cleared after every save, and nothing here logs it.
 */
import { useEffect, useId, useState, type FormEvent } from 'react';
import type { KeysStatus } from '../../shared/domain';
import { useConnection, useEngineClient } from '../engine/engine-context';
import { Panel } from '../panels/Panel';
import { checkKeysForm } from './keys-form';

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));

const SOURCE_LABEL: Record<NonNullable<KeysStatus['source']>, string> = {
  environment: 'from the environment (APCA_API_KEY_ID, APCA_API_SECRET_KEY)',
  saved: 'saved in the app',
};

/** The Broker keys panel the top bar opens (the same form is a section of Settings). */
export function KeysPanel({ onClose }: { onClose: () => void }) {
  return (
    <Panel title="Broker keys" testId="keys-panel" onClose={onClose}>
      <KeysSettings />
    </Panel>
  );
}

/** The keys' status and the form that saves or clears them. */
export function KeysSettings() {
  const client = useEngineClient();
  const { linkEpoch } = useConnection();
  const [status, setStatus] = useState<KeysStatus | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [keyId, setKeyId] = useState('');
  const [secret, setSecret] = useState('');
  const [busy, setBusy] = useState(false);
  const check = checkKeysForm(keyId, secret);
  const ids = { keyId: useId(), secret: useId(), keyIdHelp: useId(), secretHelp: useId() };

  useEffect(() => {
    if (linkEpoch === 0) return;
    let cancelled = false;
    client.call('settings.keysStatus', {}).then(
      (value) => {
        if (!cancelled) setStatus(value);
      },
      (failure: unknown) => {
        if (!cancelled) setError(message(failure));
      },
    );
    return () => {
      cancelled = true;
    };
  }, [client, linkEpoch]);

  const act = (call: () => Promise<KeysStatus>, done: string, onDone?: () => void): void => {
    setBusy(true);
    setError(null);
    setNotice(null);
    call()
      .then(
        (value) => {
          setStatus(value);
          setNotice(done);
          onDone?.();
        },
        (failure: unknown) => setError(message(failure)),
      )
      .finally(() => setBusy(false));
  };

  const save = (event: FormEvent): void => {
    event.preventDefault();
    const keys = check.keys;
    if (keys === null || busy) return;
    // The secret leaves the page's state at once, whatever the answer; the key id once saved.
    setSecret('');
    act(
      () => client.call('settings.saveKeys', keys),
      'Keys saved. They take effect the next time paper or live mode starts.',
      () => setKeyId(''),
    );
  };

  return (
    <>
      <KeysStatusView status={status} />
      <form className="keys-form" onSubmit={save} autoComplete="off">
        <label htmlFor={ids.keyId}>Alpaca key id</label>
        <input
          id={ids.keyId}
          type="text"
          data-testid="keys-key-id"
          value={keyId}
          spellCheck={false}
          autoComplete="off"
          aria-invalid={check.keyId !== null}
          aria-describedby={ids.keyIdHelp}
          onChange={(event) => setKeyId(event.target.value)}
        />
        <span id={ids.keyIdHelp} className="field-problem" data-testid="keys-key-id-problem">
          {check.keyId ?? ''}
        </span>
        <label htmlFor={ids.secret}>Secret key</label>
        <input
          id={ids.secret}
          type="password"
          data-testid="keys-secret"
          value={secret}
          spellCheck={false}
          autoComplete="new-password"
          aria-invalid={check.secret !== null}
          aria-describedby={ids.secretHelp}
          onChange={(event) => setSecret(event.target.value)}
        />
        <span id={ids.secretHelp} className="field-problem" data-testid="keys-secret-problem">
          {check.secret ?? ''}
        </span>
        <div className="panel-actions">
          <button
            type="submit"
            className="primary"
            data-testid="keys-save"
            disabled={check.keys === null || busy}
          >
            Save
          </button>
          <button
            type="button"
            data-testid="keys-clear"
            disabled={busy || status === null}
            onClick={() => act(() => client.call('settings.clearKeys', {}), 'Saved keys cleared.')}
          >
            Clear saved keys
          </button>
        </div>
      </form>
      {notice !== null ? (
        <div className="panel-notice" role="status" data-testid="keys-notice">
          {notice}
        </div>
      ) : null}
      {error !== null ? (
        <div className="panel-error" role="alert" data-testid="keys-error">
          {error}
        </div>
      ) : null}
    </>
  );
}

function KeysStatusView({ status }: { status: KeysStatus | null }) {
  if (status === null) return <p className="panel-muted">Asking the engine about the keys…</p>;
  return (
    <dl
      className="keys-status"
      data-testid="keys-status"
      data-configured={status.configured ? 'true' : 'false'}
      data-source={status.source ?? ''}
    >
      <dt>Keys</dt>
      <dd>
        {status.configured
          ? `Configured, ${status.source ? SOURCE_LABEL[status.source] : 'source unknown'}`
          : 'Not configured: paper and live modes need them'}
      </dd>
      {status.keyIdHint !== null ? (
        <>
          <dt>Key id</dt>
          <dd className="mono" data-testid="keys-hint">
            {status.keyIdHint}
          </dd>
        </>
      ) : null}
      <dt>Storage</dt>
      <dd data-testid="keys-storage-note">{status.storageNote}</dd>
    </dl>
  );
}
