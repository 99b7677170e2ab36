// Dialoog on Azure: a Flex Consumption Function App running the app as a custom handler, its storage account
// (durable state, queues, minutes, deployment package) reached by a user-assigned managed identity, secrets in Key
// Vault, telemetry in Application Insights. Deploy: see README "Deploy to Azure".
targetScope = 'resourceGroup'

@description('Short name of the environment, part of every resource name (for example test, prod).')
@minLength(2)
@maxLength(8)
param environmentName string

@description('Azure region; Flex Consumption must be available there.')
param location string = 'westeurope'

@description('Sender address of every e-mail; must be a verified SendGrid sender.')
param sendGridSender string

@description('Sender name shown in the inbox.')
param mailFromName string = 'Dialoog'

@description('Entra ID tenant of the Graph app registration; empty keeps calendar invitations as .ics attachments.')
param graphTenantId string = ''

@description('Client id of the Graph app registration that writes calendar events.')
param graphClientId string = ''

@description('Mailbox that organizes the calendar events and receives the replies.')
param organizerMailbox string = ''

@description('Object id of the person or pipeline deploying, given Key Vault Secrets Officer to set the secrets; empty for none.')
param deployerPrincipalId string = ''

@description('Most instances the app scales out to.')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int = 40

@description('Secrets to store on this deployment; empty leaves the secret as it is (set it once, then keep it).')
@secure()
param sendGridApiKey string = ''

@secure()
param graphClientSecret string = ''

@description('Base64 of at least 32 random bytes (openssl rand -base64 32). Changing it breaks links already sent.')
@secure()
param linkSigningKey string = ''

@description('Base64 of at least 32 random bytes: the key callers of the coordinator API send.')
@secure()
param coordinatorApiKey string = ''

var suffix = take(uniqueString(subscription().id, resourceGroup().id, environmentName), 8)
var names = {
  identity: 'id-dialoog-${environmentName}'
  storage: 'stdialoog${take(environmentName, 4)}${suffix}'
  keyVault: 'kv-dialoog-${take(environmentName, 4)}-${suffix}'
  logs: 'log-dialoog-${environmentName}'
  insights: 'appi-dialoog-${environmentName}'
  plan: 'plan-dialoog-${environmentName}'
  app: 'func-dialoog-${environmentName}-${suffix}'
}
var deploymentContainer = 'app-package'

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: names.identity
  location: location
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    location: location
    workspaceName: names.logs
    insightsName: names.insights
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: {
    location: location
    name: names.storage
    deploymentContainer: deploymentContainer
    principalId: identity.properties.principalId
  }
}

module keyVault 'modules/keyvault.bicep' = {
  name: 'keyvault'
  params: {
    location: location
    name: names.keyVault
    readerPrincipalId: identity.properties.principalId
    deployerPrincipalId: deployerPrincipalId
    secrets: {
      'sendgrid-api-key': sendGridApiKey
      'graph-client-secret': graphClientSecret
      'link-signing-key': linkSigningKey
      'coordinator-api-key': coordinatorApiKey
    }
  }
}

module functionApp 'modules/functionapp.bicep' = {
  name: 'functionapp'
  params: {
    location: location
    planName: names.plan
    appName: names.app
    identityId: identity.id
    identityClientId: identity.properties.clientId
    storageAccountName: storage.outputs.name
    deploymentContainerUrl: '${storage.outputs.blobEndpoint}${deploymentContainer}'
    insightsConnectionString: monitoring.outputs.connectionString
    keyVaultName: keyVault.outputs.name
    sendGridSender: sendGridSender
    mailFromName: mailFromName
    graphTenantId: graphTenantId
    graphClientId: graphClientId
    organizerMailbox: organizerMailbox
    maximumInstanceCount: maximumInstanceCount
  }
}

output appUrl string = functionApp.outputs.url
output functionAppName string = functionApp.outputs.name
output storageAccountName string = storage.outputs.name
output keyVaultName string = keyVault.outputs.name
output identityClientId string = identity.properties.clientId
