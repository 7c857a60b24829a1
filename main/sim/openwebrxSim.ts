export { startOpenWebRxSimServer } from './openwebrx/server';
