// The one storage account: the task hub (tables, queues, lease and payload blobs), the app's tables, minutes, the
// Functions host's own state and the deployment package. No account keys: both apps sign in with their identity.
param location string
param name string
param deploymentContainer string

@description('The Durable task hub: its containers are made here, so the web app\'s blob role can be scoped to them.')
param taskHub string

@description('Principal of the Functions app identity: the host, the engine and the deployment package need all of it.')
param functionsPrincipalId string

@description('Principal of the web app identity: a client of the task hub and the app\'s tables and minutes.')
param webPrincipalId string

// Built-in role definitions (the same GUID in every tenant).
var roles = {
  blobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  blobDataContributor: 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'
  queueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  tableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
}

// The blob containers the web app works with: payloads too large for a queue message or table row, the minutes, and
// the Data Protection key ring. Not the deployment package, not the Functions host's own containers.
var webContainers = [
  '${toLower(taskHub)}-largemessages'
  '${toLower(taskHub)}-minutes'
  'dataprotection'
]

resource account 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: name
  location: location
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  properties: {
    accessTier: 'Hot'
    allowBlobPublicAccess: false
    // Both apps, the Functions host (AzureWebJobsStorage__accountName) and Flex deployment use their identity.
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
  }

  resource blobs 'blobServices' = {
    name: 'default'

    resource package 'containers' = {
      name: deploymentContainer
    }
  }

  resource queues 'queueServices' = {
    name: 'default'
  }

  resource tables 'tableServices' = {
    name: 'default'
  }
}

resource webBlobContainers 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = [for container in webContainers: {
  parent: account::blobs
  name: container
}]

var functionsRoles = [roles.blobDataOwner, roles.queueDataContributor, roles.tableDataContributor]

resource functionsAssignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for role in functionsRoles: {
  name: guid(account.id, functionsPrincipalId, role)
  scope: account
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role)
    principalId: functionsPrincipalId
    principalType: 'ServicePrincipal'
  }
}]

// Queues (the client sends to the task hub's control queues) and tables (instances, history, the app's own rows).
var webAccountRoles = [roles.queueDataContributor, roles.tableDataContributor]

resource webAssignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for role in webAccountRoles: {
  name: guid(account.id, webPrincipalId, role)
  scope: account
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role)
    principalId: webPrincipalId
    principalType: 'ServicePrincipal'
  }
}]

resource webBlobAssignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for (container, i) in webContainers: {
  name: guid(webBlobContainers[i].id, webPrincipalId, roles.blobDataContributor)
  scope: webBlobContainers[i]
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.blobDataContributor)
    principalId: webPrincipalId
    principalType: 'ServicePrincipal'
  }
}]

output name string = account.name
output blobEndpoint string = account.properties.primaryEndpoints.blob
