import { renderMail, type RenderedMail } from '../../../platform/mail/layout.js'

/** What the account mails need; names are plain text (the layout escapes them). */
export interface AccountMailLinks {
  /** The storefront that hosts the account pages (`STOREFRONT_URL`). */
  storefrontUrl: string
  brand: string
}

const link = (base: string, page: string, token: string) =>
  `${base}/account/${page}?token=${encodeURIComponent(token)}`

export function welcomeMail(
  to: { name: string },
  token: string,
  links: AccountMailLinks,
): RenderedMail {
  return renderMail({
    brand: links.brand,
    subject: `Welcome to ${links.brand}: please confirm your email address`,
    greeting: `Hello ${to.name},`,
    paragraphs: [
      `Thank you for creating an account at ${links.brand}.`,
      'Please confirm that this email address is yours.',
    ],
    action: {
      label: 'Confirm my email address',
      url: link(links.storefrontUrl, 'verify-email', token),
    },
    footer: [
      `Or send this code to POST /v1/auth/email/verify: ${token}`,
      'The link is valid for 24 hours. If you did not sign up, you can ignore this message.',
    ],
  })
}

export function verificationMail(
  to: { name: string },
  token: string,
  links: AccountMailLinks,
): RenderedMail {
  return renderMail({
    brand: links.brand,
    subject: 'Confirm your email address',
    greeting: `Hello ${to.name},`,
    paragraphs: ['Please confirm that this email address belongs to your account.'],
    action: {
      label: 'Confirm my email address',
      url: link(links.storefrontUrl, 'verify-email', token),
    },
    footer: [
      `Or send this code to POST /v1/auth/email/verify: ${token}`,
      'The link is valid for 24 hours. If you did not ask for it, you can ignore this message.',
    ],
  })
}

export function passwordResetMail(
  to: { name: string },
  token: string,
  links: AccountMailLinks,
): RenderedMail {
  return renderMail({
    brand: links.brand,
    subject: 'Reset your password',
    greeting: `Hello ${to.name},`,
    paragraphs: [
      'Someone asked to reset the password of your account. If it was you, choose a new one:',
    ],
    action: {
      label: 'Choose a new password',
      url: link(links.storefrontUrl, 'reset-password', token),
    },
    footer: [
      `Or send this code to POST /v1/auth/password/reset: ${token}`,
      'The link is valid for 1 hour and works once. Setting a new password signs you out ' +
        'everywhere. If you did not ask for this, ignore this message: your password stays.',
    ],
  })
}
