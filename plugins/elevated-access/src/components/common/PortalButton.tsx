import { Button } from '@material-ui/core';
import OpenInNewIcon from '@material-ui/icons/OpenInNew';
import { CSSProperties } from 'react';

/** Opens the AWS access portal in a new tab, where active access is used. */
export const PortalButton = (props: {
  href: string;
  style?: CSSProperties;
}) => (
  <Button
    variant="contained"
    color="primary"
    href={props.href}
    target="_blank"
    rel="noreferrer"
    endIcon={<OpenInNewIcon />}
    style={props.style}
  >
    Open AWS access portal
  </Button>
);
