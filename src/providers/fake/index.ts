export { FakeProvider, type FakeProviderOptions } from './fake-provider.js';
export { FakeWorld, type FakeCall, type FakeInstance, type LaunchScript } from './world.js';
