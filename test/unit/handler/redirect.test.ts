import { SAVED_HANDLER_ENV } from '../../../src/config/settings';
import { createDiag } from '../../../src/diag';
import { functionHandler, redirectHandler, takeRedirect, type Redirect } from '../../../src/handler/redirect';
import { parseHandler, type HandlerRef } from '../../../src/handler/resolve';
import { HANDLER_EXPORT, HANDLER_MODULE, PRELOAD_DIR } from '../../../src/layer-files';
import { InitRecorder } from '../../../src/init/recorder';

const LAYER = `/opt/${PRELOAD_DIR}`;

function redirectFor(handler: string): Redirect {
  return {
    ref: parseHandler(handler) as HandlerRef,
    taskRoot: '/var/task',
    starter: { start: () => { throw new Error('not started in this test'); } },
    diag: createDiag('none'),
    beforeUserCode: () => undefined,
    init: new InitRecorder(),
  };
}

describe('the handler redirect', () => {
  it('points _HANDLER at the layer, saves the original, and puts both back for user code', () => {
    const env: NodeJS.ProcessEnv = { _HANDLER: 'src/app.handler' };
    redirectHandler(env, LAYER, redirectFor('src/app.handler'));
    expect(env).toEqual({ _HANDLER: `${LAYER}/${HANDLER_MODULE}.${HANDLER_EXPORT}`, [SAVED_HANDLER_ENV]: 'src/app.handler' });

    expect(takeRedirect(env)?.ref.full).toBe('src/app.handler');
    expect(env).toEqual({ _HANDLER: 'src/app.handler' });
    expect(takeRedirect(env)).toBeUndefined();
  });

  it('finds the function\'s handler in an environment copied from a thread that redirected already', () => {
    // Lambda Managed Instances: each worker thread's preload sees the main thread's environment.
    const inherited: NodeJS.ProcessEnv = {};
    redirectHandler(inherited, LAYER, redirectFor('index.main'));
    expect(functionHandler(inherited._HANDLER, inherited[SAVED_HANDLER_ENV], LAYER)).toBe('index.main');
    takeRedirect(inherited);
  });

  it('takes _HANDLER as it is otherwise, even with a stale saved value', () => {
    expect(functionHandler('index.handler', undefined, LAYER)).toBe('index.handler');
    expect(functionHandler('index.handler', 'other.handler', LAYER)).toBe('index.handler');
    expect(functionHandler(undefined, undefined, LAYER)).toBeUndefined();
  });
});
