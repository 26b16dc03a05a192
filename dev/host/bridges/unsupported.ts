import { CloudWorkspaceBridge } from '@rocket.chat/apps-engine/server/bridges/CloudWorkspaceBridge';
import { ContactBridge } from '@rocket.chat/apps-engine/server/bridges/ContactBridge';
import { EmailBridge } from '@rocket.chat/apps-engine/server/bridges/EmailBridge';
import { EnvironmentalVariableBridge } from '@rocket.chat/apps-engine/server/bridges/EnvironmentalVariableBridge';
import { ExperimentalBridge } from '@rocket.chat/apps-engine/server/bridges/ExperimentalBridge';
import { LivechatBridge } from '@rocket.chat/apps-engine/server/bridges/LivechatBridge';
import { ModerationBridge } from '@rocket.chat/apps-engine/server/bridges/ModerationBridge';
import { OAuthAppsBridge } from '@rocket.chat/apps-engine/server/bridges/OAuthAppsBridge';
import { OutboundMessageBridge } from '@rocket.chat/apps-engine/server/bridges/OutboundMessagesBridge';
import { RoleBridge } from '@rocket.chat/apps-engine/server/bridges/RoleBridge';
import { VideoConferenceBridge } from '@rocket.chat/apps-engine/server/bridges/VideoConferenceBridge';
import { base } from './loud';

// Bridges for workspace features this app does not use. Every method throws through `loud` (HostBridges wraps them).
/** Livechat / omnichannel: not provided. */
export class HostLivechatBridge extends base(LivechatBridge) {}
/** Omnichannel contacts: not provided. */
export class HostContactBridge extends base(ContactBridge) {}
/** Email: not provided. */
export class HostEmailBridge extends base(EmailBridge) {}
/** Environment variables (`env.read`): not provided. */
export class HostEnvironmentalVariableBridge extends base(EnvironmentalVariableBridge) {}
/** Cloud workspace tokens: not provided. */
export class HostCloudWorkspaceBridge extends base(CloudWorkspaceBridge) {}
/** Video conferences: not provided. */
export class HostVideoConferenceBridge extends base(VideoConferenceBridge) {}
/** OAuth apps: not provided. */
export class HostOAuthAppsBridge extends base(OAuthAppsBridge) {}
/** Moderation: not provided. */
export class HostModerationBridge extends base(ModerationBridge) {}
/** Roles: not provided. */
export class HostRoleBridge extends base(RoleBridge) {}
/** Outbound (SMS/email) providers: not provided. */
export class HostOutboundMessageBridge extends base(OutboundMessageBridge) {}
/** Experimental APIs: not provided. */
export class HostExperimentalBridge extends base(ExperimentalBridge) {}
