/** EC2's error codes (EC2's own list: they are not in the API model) and the model service's errors in EC2's words. */
import { ShoalError } from '../../../core/errors.js';
import { awsError } from '../common/op.js';

export const unsupported = (what: string): ShoalError => awsError('UnsupportedOperation', `${what} is not supported by shoal yet`);
export const missing = (param: string): ShoalError => awsError('MissingParameter', `The request must contain the parameter ${param}`);
export const invalidParam = (message: string): ShoalError => awsError('InvalidParameterValue', message);
export const combination = (message: string): ShoalError => awsError('InvalidParameterCombination', message);

export function templateNameNotFound(name: string): ShoalError {
  return awsError('InvalidLaunchTemplateName.NotFoundException', `The specified launch template, with template name ${name}, does not exist.`);
}

export function templateIdNotFound(id: string): ShoalError {
  return awsError('InvalidLaunchTemplateId.NotFound', `The specified launch template, with template ID ${id}, does not exist.`);
}

export function templateIdMalformed(id: string): ShoalError {
  return awsError('InvalidLaunchTemplateId.Malformed', `The specified launch template ID ${id} is not valid. A launch template ID is lt- followed by 17 hexadecimal characters.`);
}

export function versionNotFound(version: string, template: string): ShoalError {
  return awsError('InvalidLaunchTemplateId.VersionNotFound', `Could not find launch template version ${version} of ${template}.`);
}

export function imageNotFound(id: string): ShoalError {
  return awsError('InvalidAMIID.NotFound', `The image id '[${id}]' does not exist. aws ec2 describe-images lists the images shoal has (shoal/hello is built in).`);
}

export function instanceNotFound(id: string): ShoalError {
  return awsError('InvalidInstanceID.NotFound', `The instance ID '${id}' does not exist`);
}

/** Runs a model write; AlreadyExists becomes `duplicateCode`, the rest (ValidationError, ResourceOwnedByFile) passes as it is. */
export async function modelErrors<T>(write: () => Promise<T> | T, duplicateCode: string): Promise<T> {
  try {
    return await write();
  } catch (err) {
    if (err instanceof ShoalError && err.code === 'AlreadyExists') throw awsError(duplicateCode, err.message);
    throw err;
  }
}
